import { html } from "../html.js";
import type { User } from "../types.js";

const FACTOR_NAMES: Record<string, string> = {
  two_factor: "Two-factor authentication",
  security_key: "Security key",
  recovery_codes: "Recovery codes",
  backup_factor: "Backup factor",
};

/** `user.securityScore`: the number, and what each factor is worth with the advice for those unmet. */
export function ScoreCard({ user }: { user: User }) {
  const { score, factors } = user.securityScore;
  return html`<section class="card" aria-labelledby="score-title">
    <h2 id="score-title">Security Score</h2>
    <p class="score"><strong>${score}</strong> / 100</p>
    <meter min="0" max="100" low="50" high="85" optimum="100" value=${score} aria-label="Security Score">${score} of 100</meter>
    <ul class="factors">
      ${factors.map((factor) => html`<li class=${factor.met ? "met" : "unmet"}>
        <span><span aria-hidden="true">${factor.met ? "✓ " : "○ "}</span>${FACTOR_NAMES[factor.id] ?? factor.id}
          <span class="visually-hidden">${factor.met ? " (done)" : " (to do)"}</span> · ${factor.points} points</span>
        ${factor.advice && html`<span class="hint">${factor.advice}</span>`}
      </li>`)}
    </ul>
  </section>`;
}
