import { ValidationPipe, ValidationPipeOptions } from '@nestjs/common';

/** The one input-validation policy: unknown fields rejected, values transformed, one message per field. */
const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  // One message per field: the first rule it breaks.
  stopAtFirstError: true,
};

export const createValidationPipe = () => new ValidationPipe(VALIDATION_OPTIONS);
