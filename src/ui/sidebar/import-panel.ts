// The import form, in the sidebar's Import tab and in the import dialog alike: its fields as the ImportForm the
// server checks (nothing is trusted here), and its submit button.
import type { ImportForm } from "../../core/views/sidebar-api";
import { byId } from "./dom";

const SORT_FIELDS = ["", "createdAt", "updatedAt"] as const;
const SORT_DIRECTIONS = ["", "asc", "desc"] as const;

function oneOf<T extends string>(value: string, allowed: readonly T[]): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : (allowed[0] as T);
}

export function readImportForm(): ImportForm {
  return {
    workflowId: byId<HTMLInputElement>("import-workflow").value,
    batchId: byId<HTMLInputElement>("import-batch").value,
    status: byId<HTMLSelectElement>("import-status").value,
    fileNameContains: byId<HTMLInputElement>("import-file").value,
    sortBy: oneOf(byId<HTMLSelectElement>("import-sort-by").value, SORT_FIELDS),
    sortDir: oneOf(byId<HTMLSelectElement>("import-sort-dir").value, SORT_DIRECTIONS),
    max: byId<HTMLInputElement>("import-max").value,
    withCurrent: byId<HTMLInputElement>("import-current").checked,
  };
}

/** Calls `start` with the form's values when the person submits it (the button, or Enter in a field). */
export function wireImportForm(start: (form: ImportForm) => void): void {
  byId<HTMLFormElement>("import-form").addEventListener("submit", (event) => {
    event.preventDefault();
    start(readImportForm());
  });
}
