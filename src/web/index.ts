// The web stage's public face: the dashboard app, its server, and who may use it.

export { createWeb, CSP, COOKIE } from './app.js';
export type { Web, WebAuth, WebOptions } from './app.js';
export { startServer, isLoopback } from './serve.js';
export type { Serving } from './serve.js';
export { Users, UsersFileError, hashPassword, ROLES } from './users.js';
export type { Role, WebUser } from './users.js';
export { randomToken } from './sessions.js';
