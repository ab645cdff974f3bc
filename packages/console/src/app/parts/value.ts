/** The value of the input (or select) an event came from. */
export const value = (event: Event) => (event.currentTarget as HTMLInputElement).value;
