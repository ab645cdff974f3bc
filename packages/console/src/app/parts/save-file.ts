
/** Hands text to the browser as a download (a Blob URL: nothing leaves the page). */
export function saveFile(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  (document.querySelector("dialog[open]") ?? document.body).append(link); // inside an open modal dialog, the rest of the page is inert
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
