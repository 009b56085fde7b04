"use client";

import { useInfiniteQuery, type QueryKey } from "@tanstack/react-query";

type Page = { nextCursor: string | null };

/**
 * Pages of a keyset-paginated list ("Load more"). The tRPC helper `infiniteQueryOptions` adds a
 * `direction` to the input, which the API's strict input schemas refuse, so the pages are
 * fetched here with only `cursor` added. `queryKey` should be the procedure's
 * `infiniteQueryKey(input)`, so that its `pathFilter()` invalidates these pages too.
 */
export function usePages<TPage extends Page, TKey extends QueryKey>(
  queryKey: TKey,
  fetchPage: (cursor: string | null, signal: AbortSignal) => Promise<TPage>,
) {
  return useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => fetchPage(pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page: TPage) => page.nextCursor,
  });
}
