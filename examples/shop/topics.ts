/** Topic names of one run; the run id keeps each run's messages apart. */
export interface ShopTopics {
  readonly customers: string;
  readonly products: string;
  readonly orders: string;
}

export function shopTopics(runId: string): ShopTopics {
  return {
    customers: `shop-${runId}.customers`,
    products: `shop-${runId}.products`,
    orders: `shop-${runId}.orders`,
  };
}

export function topicList(topics: ShopTopics): string[] {
  return [topics.customers, topics.products, topics.orders];
}
