// What the UI does with an error code, in one table: which form field a
// code is about (when the code alone says it; free-text errors name their
// field in ErrorBody.field), and which codes are warnings rather than errors.
import type { ErrorCode } from "../bindings/ErrorCode";
import type { Field } from "../bindings/Field";

/** A form input an error can point at: a free-text Field, or one of these. */
export type FormField = Field | "mage_id" | "edition" | "operating_model" | "standing" | "environment" | "bits";

const FIELD_OF_CODE: Partial<Record<ErrorCode, FormField>> = {
  mage_id_empty: "mage_id",
  mage_id_malformed: "mage_id",
  mage_id_taken: "mage_id",
  unknown_edition: "edition",
  unknown_operating_model: "operating_model",
  merchants_exist: "operating_model",
  unknown_standing: "standing",
  unknown_environment: "environment",
  unsupported_key_size: "bits",
  label_taken: "key_label",
};

/** Outcomes the user chose or can simply retry: shown as warnings. */
const WARNINGS: readonly ErrorCode[] = ["save_cancelled", "download_in_progress"];

/** The key a dialog offers is gone for good: close the dialog. */
const KEY_GONE: readonly ErrorCode[] = ["already_delivered", "key_revoked", "key_not_found"];

export function fieldOf(error: { code: ErrorCode; field?: Field }): FormField | null {
  return error.field ?? FIELD_OF_CODE[error.code] ?? null;
}

export function isWarning(code: ErrorCode): boolean {
  return WARNINGS.includes(code);
}

export function isKeyGone(code: ErrorCode): boolean {
  return KEY_GONE.includes(code);
}
