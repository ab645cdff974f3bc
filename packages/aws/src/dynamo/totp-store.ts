import type { DomainEvent } from "@twofactor/events";
import { TotpAlreadyEnabledError, type TotpFactors } from "@twofactor/core";
import { keys } from "./keys.js";
import type { Outbox } from "./outbox.js";

/** Step guard: a step is claimed only if it is newer than every step used before (one conditional write). */
const STEP_IS_NEW = "(attribute_not_exists(lastUsedStep) OR lastUsedStep < :step)";

export class TotpStore implements TotpFactors {
  constructor(private readonly outbox: Outbox) {}

  async savePending(userId: string, sealedSecret: string, at: Date): Promise<void> {
    const saved = await this.outbox.write(keys.totp(userId), {
      set: { status: "pending", sealedSecret, enrolledAt: at.toISOString() },
      remove: ["lastUsedStep", "activatedAt"],
      condition: "attribute_not_exists(#status) OR #status <> :active",
      names: { "#status": "status" },
      values: { ":active": "active" },
    }, []);
    if (!saved) throw new TotpAlreadyEnabledError();
  }

  async activate(userId: string, sealedSecret: string, step: number, at: Date, owed: readonly DomainEvent[]): Promise<boolean> {
    const item = await this.outbox.write(keys.totp(userId), {
      set: { status: "active", activatedAt: at.toISOString(), lastUsedStep: step },
      condition: `#status = :pending AND sealedSecret = :sealed AND ${STEP_IS_NEW}`,
      names: { "#status": "status" },
      values: { ":pending": "pending", ":sealed": sealedSecret, ":step": step },
    }, owed);
    return item !== undefined;
  }

  async useStep(userId: string, step: number): Promise<boolean> {
    const item = await this.outbox.write(keys.totp(userId), {
      set: { lastUsedStep: step },
      condition: `#status = :active AND ${STEP_IS_NEW}`,
      names: { "#status": "status" },
      values: { ":active": "active", ":step": step },
    }, []);
    return item !== undefined;
  }

  async disable(userId: string, at: Date, owed: readonly DomainEvent[]): Promise<boolean> {
    const item = await this.outbox.write(keys.totp(userId), {
      set: { status: "disabled", disabledAt: at.toISOString() },
      remove: ["sealedSecret"],
      condition: "#status = :active",
      names: { "#status": "status" },
      values: { ":active": "active" },
    }, owed);
    return item !== undefined;
  }
}
