export * from './subjects';
export * from './streams';
export * from './identity.limits';
export * from './assert-never';
