// Shared shape for the event-driven state machines (invoice, payment): a transition table
// as plain data, so status checks live in one place instead of scattered `if`s.
import { IllegalTransitionError, type StateMachineName } from "./errors";

/** table[from][event] = to. A missing entry means the event is illegal in that status. */
export type TransitionTable<S extends string, E extends string> = {
  readonly [K in S]: Readonly<Partial<Record<E, S>>>;
};

export interface TransitionEdge<S extends string, E extends string> {
  readonly from: S;
  readonly event: E;
  readonly to: S;
}

/**
 * Next status, or undefined if illegal. Uses Object.hasOwn so strings from storage or the
 * network such as "constructor" or "__proto__" can never match an inherited property.
 */
export function lookupTransition<S extends string, E extends string>(
  table: TransitionTable<S, E>,
  from: string,
  event: string,
): S | undefined {
  if (!Object.hasOwn(table, from)) return undefined;
  const row: Readonly<Partial<Record<string, S>>> = table[from as S];
  return Object.hasOwn(row, event) ? row[event] : undefined;
}

export function listTransitionEdges<S extends string, E extends string>(
  table: TransitionTable<S, E>,
): readonly TransitionEdge<S, E>[] {
  const edges: TransitionEdge<S, E>[] = [];
  for (const from of Object.keys(table) as S[]) {
    const row: Readonly<Partial<Record<string, S>>> = table[from];
    for (const [event, to] of Object.entries(row)) {
      if (to !== undefined) edges.push(Object.freeze({ from, event: event as E, to }));
    }
  }
  return Object.freeze(edges);
}

/** Events accepted in `from` (empty for terminal or unknown statuses). */
export function listAllowedEvents<S extends string, E extends string>(
  table: TransitionTable<S, E>,
  from: string,
): readonly E[] {
  if (!Object.hasOwn(table, from)) return [];
  return Object.keys(table[from as S]) as E[];
}

export function freezeTransitionTable<S extends string, E extends string>(
  table: TransitionTable<S, E>,
): TransitionTable<S, E> {
  for (const row of Object.values(table)) Object.freeze(row);
  return Object.freeze(table);
}

/** The operations every event-driven machine offers, built once from its table. */
export interface EventStateMachine<S extends string, E extends string> {
  readonly edges: readonly TransitionEdge<S, E>[];
  isStatus(value: unknown): value is S;
  isEvent(value: unknown): value is E;
  can(status: S, event: E): boolean;
  /** The next status, or IllegalTransitionError — never a silent no-op. */
  transition(status: S, event: E): S;
  allowedEvents(status: S): readonly E[];
  /** No event leaves a terminal status. */
  isTerminal(status: S): boolean;
}

export function defineEventStateMachine<S extends string, E extends string>(
  machine: StateMachineName,
  statuses: readonly S[],
  events: readonly E[],
  table: TransitionTable<S, E>,
): EventStateMachine<S, E> {
  const allowedEvents = (status: S) => listAllowedEvents(table, status);
  return Object.freeze({
    edges: listTransitionEdges(table),
    isStatus: (value: unknown): value is S => typeof value === "string" && (statuses as readonly string[]).includes(value),
    isEvent: (value: unknown): value is E => typeof value === "string" && (events as readonly string[]).includes(value),
    can: (status: S, event: E) => lookupTransition(table, status, event) !== undefined,
    transition(status: S, event: E): S {
      const next = lookupTransition(table, status, event);
      if (next === undefined) throw new IllegalTransitionError({ machine, from: status, event });
      return next;
    },
    allowedEvents,
    isTerminal: (status: S) => allowedEvents(status).length === 0,
  });
}
