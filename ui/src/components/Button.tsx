// The Admin's buttons: one orange primary action per area, dark secondary,
// grey default, link-like tertiary, and the small copy button. Behaviour
// (press, keyboard, disabled) from react-aria-components.
import { Button as AriaButton, type ButtonProps as AriaButtonProps } from "react-aria-components";

export type ButtonVariant = "primary" | "secondary" | "default" | "tertiary" | "copy" | "close";

export interface ButtonProps extends Omit<AriaButtonProps, "className"> {
  variant?: ButtonVariant;
  className?: string;
}

export function Button({ variant = "default", className, ...props }: ButtonProps) {
  return <AriaButton {...props} className={`action-${variant}${className ? ` ${className}` : ""}`} />;
}
