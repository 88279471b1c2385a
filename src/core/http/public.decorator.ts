import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';
/** Marks a route that stays open when API_KEYS is set (health checks). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
