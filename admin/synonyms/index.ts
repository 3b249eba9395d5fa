export { synonymModule } from './routes.ts';
