// Which form field an engine error code is about, so the form can mark it.
const FIELD_BY_CODE: Record<string, string> = {
  mage_id_empty: "mage_id",
  mage_id_malformed: "mage_id",
  mage_id_taken: "mage_id",
  name_taken: "name",
  empty_value: "name",
  value_too_long: "name",
  invalid_characters: "name",
  unknown_edition: "edition",
  unknown_operating_model: "operating_model",
};

export function fieldForCode(code: string | undefined, fields: readonly string[]): string | null {
  if (!code) return null;
  const field = FIELD_BY_CODE[code];
  return field && fields.includes(field) ? field : null;
}

/** "2026-11-22T15:55:09.185Z" → local "Nov 22, 2026, 4:55:09 PM" (ISO kept on hover). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}
