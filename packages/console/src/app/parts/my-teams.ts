import { useEffect, useState } from "preact/hooks";
import { api } from "../api.js";
import { useConsole } from "../context.js";
import type { MyTeam, Page } from "../types.js";
import { useAction } from "../use-action.js";

/** The teams the user belongs to (`GET /v1/me/teams`, every page), read again after each change here. */
export function useMyTeams() {
  const app = useConsole();
  const [teams, setTeams] = useState<MyTeam[] | null>(null);
  const load = useAction();
  const read = () => load.read(async () => {
    const all: MyTeam[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: "100", ...(cursor ? { cursor } : {}) });
      const page: Page<MyTeam> = await api.get<Page<MyTeam>>(`/v1/me/teams?${query}`);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    setTeams(all);
  });
  useEffect(() => { void read(); }, [app.version]);
  return { teams, error: load.error, busy: load.busy, read };
}
