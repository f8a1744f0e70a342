/** Copies text with the async Clipboard API (the app's page is a secure context). */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    throw new Error("The clipboard is not available: select the text and copy it by hand.");
  }
}
