// Checked by `tsc -p tests/node/typing` (module.test.js): the declarations accept right calls and
// reject wrong ones. Each @ts-expect-error line must fail to compile, or tsc reports it.
import {
  Client, akSk, fromEnv, assumeRole, signRequest, meta, HcpError, OutcomeUnknownError, ThrottledError,
  type ListSubCustomersResponse, type CustomerInformation, type Reconciliation, type ReconcileTicket,
} from 'hcpartner';

export async function rightCalls(): Promise<void> {
  const client = new Client({
    site: 'intl', credentials: akSk('AK', 'SK', { domainId: 'D' }), timeouts: { total: 30 },
    retry: { maxAttempts: 5 }, rateLimits: { listSubCustomers: 3 }, logger: console,
  });
  const page: ListSubCustomersResponse = await client.listSubCustomers({ offset: 0, limit: 10 });
  const count: number | undefined = page.count;
  const balances = await client.listCustomersBalancesDetail({ customer_infos: [{ customer_id: 'c' }] });
  const money: string | undefined = balances.customer_balances?.[0]?.amount;
  const numeric = new Client({ numbers: 'numbers', credentials: fromEnv() });
  const asNumber: number | undefined = (await numeric.listCustomersBalancesDetail({ customer_infos: [{ customer_id: 'c' }] })).customer_balances?.[0]?.amount;
  await client.updateCustomerAccountAmount({ customer_id: 'c', amount: '10.00' }, { signal: AbortSignal.timeout(1000) });
  await client.updateCustomerAccountAmount({ customer_id: 'c', amount: 10n }, { timeoutMs: 500 });
  const one = await client.listSubCustomers({ limit: 1 }, { timeout: 5, retry: { maxAttempts: 1 }, headers: { 'X-Trace-Id': 't' } });
  const requestId: string | null | undefined = meta(one)?.requestId;
  console.log(requestId);
  for await (const c of client.paginate('listSubCustomers', { limit: 100 })) {
    const id: string | undefined = c.customer_id;
    void id;
  }
  const all: CustomerInformation[] = await client.paginate('listSubCustomers').toArray();
  const pages: ListSubCustomersResponse[] = await client.pages('listSubCustomers', { limit: 10 }).toArray();
  const customer = client.forCustomer('agency', { customerId: 'c' });
  await customer.listCustomerOrders();
  const viaRole = new Client({ credentials: assumeRole(akSk('AK', 'SK'), 'agency', { customerName: 'n' }) });
  const any: Record<string, unknown> = await viaRole.call('list_sub_customers', { limit: 1 });
  try {
    await client.reclaimToPartnerAccount({ customer_id: 'c', amount: 1 });
  } catch (e) {
    if (e instanceof OutcomeUnknownError) {
      const hint: string | null = e.hint;
      const code: number = e.code;
      const found: Reconciliation = await client.reconcile(e);
      const verdict: 'applied' | 'not_applied' | 'ambiguous' = found.verdict;
      const records: Array<Record<string, unknown>> = found.records;
      const ticket: ReconcileTicket | null = e.ticket;
      if (ticket !== null) await client.reconcile(ticket);
      void [hint, code, verdict, records];
    } else if (e instanceof ThrottledError && e instanceof HcpError) {
      const retry: boolean = e.retryable;
      void retry;
    }
  }
  const headers: Record<string, string> = signRequest({ method: 'GET', url: 'https://x/v2', ak: 'a', sk: 'b' });
  void [count, money, asNumber, all, pages, any, headers];
}

export async function wrongCalls(client: Client): Promise<void> {
  // @ts-expect-error a required param is missing
  await client.updateCustomerAccountAmount({ customer_id: 'c' });
  // @ts-expect-error an unknown param
  await client.listSubCustomers({ limt: 10 });
  // @ts-expect-error an integer is not a string
  await client.listSubCustomers({ limit: '10' });
  // @ts-expect-error money is not a boolean
  await client.updateCustomerAccountAmount({ customer_id: 'c', amount: true });
  // @ts-expect-error no such operation
  await client.listSubCustomer();
  // @ts-expect-error an unknown option
  new Client({ timout: 5 });
  // @ts-expect-error not a site
  new Client({ site: 'eu' });
  // @ts-expect-error credentials come from the helpers
  new Client({ credentials: { type: 'ak_sk', ak: 'A', sk: 'S' } });
  // @ts-expect-error not paginated
  client.paginate('showCustomerAccountBalances');
  // @ts-expect-error an unknown call option
  await client.listSubCustomers({}, { timeOut: 5 });
  const balances = await client.listCustomersBalancesDetail({ customer_infos: [{ customer_id: 'c' }] });
  // @ts-expect-error reconcile takes an error or its ticket, not an operation name
  await client.reconcile('updateCustomerAccountAmount');
  // @ts-expect-error no such verdict
  if ((await client.reconcile(new HcpError('x'))).verdict === 'done') return;
  // @ts-expect-error money is a string by default
  const wrong: number | undefined = balances.customer_balances?.[0]?.amount;
  void wrong;
}
