export { consultationModule } from './routes.ts';
