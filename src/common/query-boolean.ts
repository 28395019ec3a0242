/** Query strings carry text: `true`/`false` become booleans, anything else is left for validation to refuse. */
export const queryBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;
