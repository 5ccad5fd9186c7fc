export * from './subjects';
export * from './streams';
