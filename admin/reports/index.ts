/** The reports console module. */
export { reportModule } from './routes.ts';
