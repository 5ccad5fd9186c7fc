export * from './service.kit';
