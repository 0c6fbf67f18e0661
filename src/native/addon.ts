/**
 * The native addon (the napi-rs loader at the package root), re-exported so
 * that every other module reaches Rust through this folder and the loader's
 * path is written once.
 * @internal
 * @packageDocumentation
 */
export * from '../../index.js';
