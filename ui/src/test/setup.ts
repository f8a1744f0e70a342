// DOM matchers (toBeVisible, toBeDisabled, …) for the UI tests.
import "@testing-library/jest-dom/vitest";

// jsdom does not lay out, so it has no scrollIntoView; the message area calls it.
Element.prototype.scrollIntoView = function scrollIntoView() {
  /* nothing to scroll in jsdom */
};
