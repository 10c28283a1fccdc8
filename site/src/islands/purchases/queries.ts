import { type InfiniteData, useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/preact-query";
import { api, call } from "../lib/api.ts";

export type PaymentsPage = Awaited<ReturnType<typeof fetchPayments>>;
export type Payment = PaymentsPage["items"][number];

const PAYMENTS_KEY = ["payments"] as const;

function fetchPayments(cursor: string | undefined) {
  return call(api.me.payments.$get({ query: cursor ? { cursor } : {} }));
}

/** The signed-in user's payments, newest first, a page at a time. */
export function usePayments() {
  return useInfiniteQuery({
    queryKey: PAYMENTS_KEY,
    queryFn: ({ pageParam }) => fetchPayments(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

type Cache = InfiniteData<PaymentsPage, unknown>;

function withPayment(cache: Cache | undefined, payment: Payment): Cache | undefined {
  if (!cache) return cache;
  return {
    ...cache,
    pages: cache.pages.map((page) => ({
      ...page,
      items: page.items.map((item) => (item.id === payment.id ? payment : item)),
    })),
  };
}

/**
 * Refunds one payment. Not optimistic: money moves only when the provider
 * agrees, so the row changes to the server's answer. A refusal reloads the
 * list, as it usually means the payment changed elsewhere (refunded in another
 * tab, or its window closed while the page was open).
 */
export function useRefund(paymentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.payments[":id"].refund.$post({ param: { id: paymentId } })),
    onSuccess: (refunded) => {
      queryClient.setQueryData<Cache>(PAYMENTS_KEY, (cache) => withPayment(cache, refunded));
    },
    onError: () => queryClient.invalidateQueries({ queryKey: PAYMENTS_KEY }),
  });
}
