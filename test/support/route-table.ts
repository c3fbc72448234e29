import { RequestMethod, type INestApplication } from '@nestjs/common';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { ACCESS_METADATA, type AccessRule } from '../../src/common/auth/access.decorators.js';
import { NoBody } from '../../src/common/http/no-body.js';
import { API_PREFIX } from '../../src/app.setup.js';

export interface RouteAccess {
  method: string;
  path: string;
  /** `public`, `any staff`, the roles joined by commas (and those who may only search), or `UNDECLARED`. */
  access: string;
  /** The handler reads a request body (@Body), other than the empty NoBody of an action. */
  takesBody: boolean;
}

/** Every route the app serves, with who may call it, read from the controllers' metadata. */
export function routeTable(app: INestApplication): RouteAccess[] {
  const routes: RouteAccess[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const rule = (Reflect.getMetadata(ACCESS_METADATA, handler) ?? Reflect.getMetadata(ACCESS_METADATA, controller)) as AccessRule | undefined;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, unknown>;
        const paramTypes = (Reflect.getMetadata('design:paramtypes', prototype, name) ?? []) as unknown[];
        // Keys are "<param type>:<index>".
        const takesBody = Object.keys(args).some((key) => key.startsWith(`${RouteParamtypes.BODY}:`) && paramTypes[Number(key.split(':')[1])] !== NoBody);
        routes.push({ method: method ?? 'UNKNOWN', path: joinPath(API_PREFIX, base, path), access: describe(rule), takesBody });
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

function joinPath(...parts: string[]): string {
  return `/${parts.flatMap((part) => part.split('/')).filter(Boolean).join('/')}`;
}

function describe(rule: AccessRule | undefined): string {
  if (!rule) return 'UNDECLARED';
  if (rule.kind === 'public') return 'public';
  if (rule.kind === 'any-staff') return 'any staff';
  const roles = [...rule.roles].sort().join(', ');
  return rule.searchers ? `${roles}; with q also ${[...rule.searchers].sort().join(', ')}` : roles;
}
