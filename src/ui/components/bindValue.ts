/** Props that keep an input or select and a writable value (a signal, a model field) in step. */
export const bindValue = (field: { value: string }) => ({
  value: field.value,
  onInput: (event: Event) => {
    field.value = (event.currentTarget as HTMLInputElement | HTMLSelectElement).value;
  },
});
