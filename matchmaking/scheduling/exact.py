"""Exhaustive branch and bound for tiny instances (a dozen free requests at most).

Used by the solver when the search space is small, so that small events get a proven optimum
including the fairness tie-breaks.
"""

from __future__ import annotations

from .index import BOOTH, bits
from .state import State

NODE_LIMIT = 200_000


def objective(state: State) -> tuple[int, int, float]:
    """Value, then minus the participants without meeting, then minus the unmet-share squares."""
    ix = state.ix
    zero, squares = 0, 0.0
    for p, inc in enumerate(ix.incident):
        if inc:
            zero += state.count[p] == 0
            squares += (1 - state.count[p] / len(inc)) ** 2
    return state.value, -zero, -round(squares, 9)


def exact_solve(state: State, node_limit: int = NODE_LIMIT) -> bool:
    """Complete `state` optimally; returns False when the node limit cut the search short."""
    ix = state.ix
    free = sorted((r for r in range(len(ix.request_ids)) if state.slot_of[r] < 0 and ix.common[r]),
                  key=lambda r: -ix.weight[r])
    rest = [0] * (len(free) + 1)
    for i in range(len(free) - 1, -1, -1):
        rest[i] = rest[i + 1] + ix.weight[free[i]]
    best: list[object] = [objective(state), []]
    nodes = [0]

    def dfs(i: int) -> None:
        nodes[0] += 1
        if nodes[0] > node_limit:
            return
        if state.value + rest[i] < best[0][0]:  # type: ignore[index]
            return
        if i == len(free):
            obj = objective(state)
            if obj > best[0]:  # type: ignore[operator]
                best[0] = obj
                best[1] = [(r, state.slot_of[r], state.table_of[r]) for r in free if state.slot_of[r] >= 0]
            return
        r = free[i]
        for s in bits(state.free_slots(r)):
            tables = [t for t in ix.booths[r] if not (state.booth_busy.get(t, 0) >> s) & 1] \
                if ix.kind[r] == BOOTH else [-1]
            for t in tables:
                state.place(r, s, t)
                dfs(i + 1)
                state.remove(r)
        dfs(i + 1)

    dfs(0)
    for r, s, t in best[1]:  # type: ignore[union-attr]
        state.place(r, s, t)
    return nodes[0] <= node_limit
