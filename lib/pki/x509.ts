// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect metadata
// polyfill loaded before it. This module is the only entry point to the library, so the polyfill
// import (the project's one import for its side effect) cannot be forgotten or reordered.
import 'reflect-metadata';

export * from '@peculiar/x509';
