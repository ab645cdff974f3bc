import { finishMembershipChange } from "@twofactor/core";
import { consume } from "./consumer.js";

/** A join or a removal decided on the user's side → the team's side follows, after a crash too (idempotent). */
export const handler = consume(finishMembershipChange);
