// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect metadata
// polyfill loaded before it. This module (the tests' entry to it, to cross-check our encoder
// with an independent one) and issue.ts's lazy `parsed` view load the two in that order.
import 'reflect-metadata';

export * from '@peculiar/x509';
