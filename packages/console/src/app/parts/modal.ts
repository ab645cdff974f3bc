import type { RefObject } from "preact";
import { useEffect, useRef } from "preact/hooks";

/**
 * A modal `<dialog>` opened on mount: the rest of the page is inert, focus starts on `first`, and
 * when the dialog goes, focus goes back to what opened it (or, if that is gone, to the screen's
 * heading) rather than to the page's start.
 */
export function useModal(first: RefObject<HTMLElement | null>) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.current?.showModal();
    first.current?.focus();
    return () => {
      queueMicrotask(() => {
        if (document.querySelector("dialog[open]")) return; // another dialog took over
        if (opener?.isConnected && opener !== document.body) opener.focus();
        else focusScreenHeading();
      });
    };
  }, []);
  return dialog;
}

/** The open screen's `<h1>`, focusable by script (`tabindex="-1"`). */
export function focusScreenHeading(): void {
  document.querySelector<HTMLElement>("main h1")?.focus();
}
