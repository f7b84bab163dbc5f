// Type-level helper for the type tests (compiled by `npm run typecheck`, never run by jest).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WorkOS } from '@workos-inc/node';

type IsAny<T> = 0 extends 1 & T ? true : false;
type Next = [never, 0, 1, 2, 3, 4, 5, 6];

/**
 * Types that are not ours and hold `any` of their own (Node's event listeners, the SDK's
 * client): the walk stops there, and at the bare `Function` type (`Function#apply` takes `any`).
 */
type Foreign = IncomingMessage | ServerResponse | WorkOS | Date | URL;

type ArgsAnyPaths<Args extends readonly unknown[], Path extends string, D extends number> = {
  [K in keyof Args & `${number}`]: AnyPaths<Args[K], `${Path}(arg ${K})`, D>;
}[keyof Args & `${number}`];

type PropertyAnyPaths<T, Path extends string, D extends number> = {
  [K in keyof T & string]-?: AnyPaths<T[K], `${Path}.${K}`, D>;
}[keyof T & string];

/** One member of a union, known not to be `any`. */
type Walk<T, Path extends string, D extends number> = T extends Foreign
  ? never
  : // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- matching exactly the bare type
    [Function] extends [T]
    ? never
    : T extends Promise<infer U>
      ? AnyPaths<U, `${Path}<resolved>`, D>
      : T extends readonly (infer E)[]
        ? AnyPaths<E, `${Path}[]`, D>
        : T extends abstract new (...args: infer A) => infer I
          ? ArgsAnyPaths<A, `${Path}new`, D> | AnyPaths<I, `${Path}#`, D>
          : T extends (...args: infer A) => infer R
            ? ArgsAnyPaths<A, Path, D> | AnyPaths<R, `${Path}()`, D> | PropertyAnyPaths<T, Path, D>
            : T extends object
              ? PropertyAnyPaths<T, Path, D>
              : never;

/**
 * Where `any` hides in `T` (properties, elements, parameters, return and instance types, a few
 * levels deep), as readable paths such as `".createAuthKit(arg 0).onError()"`; `never` when nowhere.
 * Overloaded functions are checked through their last signature.
 */
export type AnyPaths<T, Path extends string = '', D extends number = 6> = [D] extends [never]
  ? never
  : IsAny<T> extends true
    ? Path extends ''
      ? '(the type itself)'
      : Path
    : T extends unknown
      ? Walk<T, Path, Next[D]>
      : never;
