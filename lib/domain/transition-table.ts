// Shared shape for the event-driven state machines (invoice, payment): a transition table
// as plain data, so status checks live in one place instead of scattered `if`s.

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
