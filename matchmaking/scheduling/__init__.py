"""Pure scheduling core of matchmaking: no Flask, no database, only the standard library
(SciPy, when installed, tightens `upper_bound`).

The web app's entry points:
    parse_instance(doc) / Instance(...)            build an instance
    solve(instance, time_limit=None, seed=0)        batch schedule (Solution, with stats)
    IncrementalScheduler(instance, assignment, pinned).place(request_id)   live additions
    explain(instance, solution)                     {request id: Explanation} for the unscheduled
    check(instance, solution)                       [Violation] (empty when feasible)
    upper_bound(instance)                           Bound(value, method)
    count_gaps(instance, meetings) / total_gaps     idle gaps per participant / in all
    Days(slots).gaps(mask)                          one participant's gaps from a bit mask of slot positions
    Days(slots).gap_runs(mask)                      the gaps themselves: each a run of free slot positions
"""

from .bound import Bound, upper_bound
from .explain import Explanation, Reason, explain
from .feasibility import Fairness, Violation, check, fairness, value
from .gaps import Days, count_gaps, total_gaps
from .greedy import first_come
from .incremental import IncrementalScheduler, Placement, place_requests
from .io import instance_to_dict, load_instance, parse_instance, parse_solution, solution_to_dict
from .model import FORMAT_TAG, InputError, Instance, Meeting, Participant, Request, Slot, Solution, Table
from .solver import solve

__all__ = [
    "FORMAT_TAG", "Bound", "Days", "Explanation", "Fairness", "IncrementalScheduler", "InputError", "Instance",
    "Meeting", "Participant", "Placement", "Reason", "Request", "Slot", "Solution", "Table", "Violation",
    "check", "count_gaps", "explain", "fairness", "first_come", "instance_to_dict", "load_instance", "parse_instance",
    "parse_solution", "place_requests", "solution_to_dict", "solve", "total_gaps", "upper_bound", "value",
]
