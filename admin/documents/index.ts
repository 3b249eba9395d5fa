/** The documents console module. */
export { documentModule, FILENAME_HEADER } from './routes.ts';
