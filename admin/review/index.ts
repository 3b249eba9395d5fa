export { reviewModule } from './routes.ts';
