// A step and processor-time budget for expanding recurrences, charged from inside ical.js's iterator
// so a rule that never matches still stops. Never sleeps; reads only the clock it is given.

export interface BudgetSpec {
  maxSteps: number;
  maxMs: number;
  /** Milliseconds, never decreasing; default: this process's processor time. Tests inject one. */
  clock?: () => number;
}

/** Thrown from inside an iteration when a budget is spent; `reason` is worded for a person. */
export class BudgetExhausted extends Error {
  /** timed: the processor-time limit ran out (depends on the machine's load), not the step limit. */
  constructor(readonly reason: string, readonly timed = false) {
    super(reason);
    this.name = 'BudgetExhausted';
  }
}

// Reading the clock costs more than a step; every this many steps is often enough for a 250 ms budget.
const CLOCK_EVERY = 256;

// Processor time, not wall time: on a machine shared with other work the wall clock runs on while this
// process waits, and a legitimate series would be cut short at random. This thread's where Node can
// tell (threadCpuUsage, Node 23.9+); else the process's, which in a worker also counts the other
// threads, so the budget can only run out early, and an event is then kept and reported, never lost.
const threadCpuUsage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
function processorMs(): number {
  const u = threadCpuUsage ? threadCpuUsage.call(process) : process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export class ExpansionBudget {
  steps = 0;
  private readonly clock: () => number;
  private readonly deadline: number;
  private nextClockAt = CLOCK_EVERY;

  constructor(
    private readonly spec: BudgetSpec,
    /** A budget shared by several series (one preview answer): charged too, and its exhaustion is said as such. */
    private readonly parent?: ExpansionBudget,
    /** How running out is said: the limit reached ("50,000 steps", "250 ms") goes in. */
    private readonly say: (limit: string) => string = (limit) => `its recurrence rule was given up after ${limit} (it never matches, or repeats too often)`,
  ) {
    this.clock = spec.clock ?? processorMs;
    this.deadline = this.clock() + spec.maxMs;
  }

  /** Counts n steps; throws BudgetExhausted when this budget or its parent is spent. */
  charge(n = 1): void {
    if (n <= 0) return;
    this.parent?.charge(n);
    this.steps += n;
    if (this.steps > this.spec.maxSteps) {
      throw new BudgetExhausted(this.say(`${this.spec.maxSteps.toLocaleString('en-US')} steps`));
    }
    if (this.steps >= this.nextClockAt || n >= CLOCK_EVERY) {
      this.nextClockAt = this.steps + CLOCK_EVERY;
      if (this.clock() > this.deadline) throw new BudgetExhausted(this.say(`${this.spec.maxMs} ms`), true);
    }
  }

  /** A budget for one series inside this one. */
  child(spec: BudgetSpec): ExpansionBudget {
    return new ExpansionBudget({ clock: this.spec.clock, ...spec }, this);
  }
}
