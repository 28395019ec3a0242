import { registerDecorator, ValidationOptions } from 'class-validator';

/** The value compiles as a JavaScript regular expression (checked at write time, not at match time). */
export function IsRegexPattern(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isRegexPattern',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must contain valid regular expressions`, ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string' || value.length > 500) return false;
          try {
            new RegExp(value, 'i');
            return true;
          } catch {
            return false;
          }
        },
      },
    });
}
