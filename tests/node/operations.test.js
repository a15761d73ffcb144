'use strict';
// Every operation category through the Node client against the emulator binary, 200 calls in
// flight at once, pagination across pages, exact money.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { useEmulator, lastMonth, hcp } = require('./emulator.js');

const emu = useEmulator();
const XTYPE = 'hcp_demo_IDP';

async function newCustomer(client, xid, extra = {}) {
  const r = await client.createSubCustomer({ xaccount_id: xid, xaccount_type: XTYPE, domain_name: `js_${xid}`, ...extra });
  return r.domain_id;
}

test('customers and real-name authentication', async () => {
  const client = emu.current.client();
  const a = await newCustomer(client, 'cust-a');
  const b = await newCustomer(client, 'cust-b', { cooperation_type: '1' });
  const listed = Object.fromEntries((await client.listSubCustomers({ limit: 100 })).customer_infos.map((c) => [c.customer_id, c]));
  assert.equal(listed[a].xaccount_id, 'cust-a');
  assert.equal(listed[a].association_type, '2');
  assert.equal(listed[b].association_type, '1');
  const out = await client.createPersonalRealnameAuth({
    customer_id: a, identify_type: 0, verified_file_url: ['a.jpg', 'b.jpg'], name: 'Zhang San',
    verified_number: '110101199001011234', xaccount_type: XTYPE,
  });
  assert.ok('is_review' in out);
  assert.equal((await client.showRealnameAuthenticationReviewResult({ customer_id: a })).review_result, 2);
});

test('funding moves exact money, given as string, number or bigint', async () => {
  const client = emu.current.client();
  const a = await newCustomer(client, 'fund-a');
  const balance = async () =>
    (await client.listCustomersBalancesDetail({ customer_infos: [{ customer_id: a }] })).customer_balances[0].amount;
  assert.equal(await balance(), '0.00', 'money comes back as an exact decimal string, digits kept');
  assert.ok((await client.updateCustomerAccountAmount({ customer_id: a, amount: '500.10' })).transfer_id);
  await client.updateCustomerAccountAmount({ customer_id: a, amount: 20 });
  await client.updateCustomerAccountAmount({ customer_id: a, amount: 3n });
  await client.reclaimToPartnerAccount({ customer_id: a, amount: 0.1 });
  assert.equal(await balance(), '523.00');
  assert.equal((await emu.current.stats()).update_customer_account_amount.applied, 3);
  // Numbers, when asked for.
  const numeric = emu.current.client({ numbers: 'numbers' });
  const row = (await numeric.listCustomersBalancesDetail({ customer_infos: [{ customer_id: a }] })).customer_balances[0];
  assert.equal(row.amount, 523);
  assert.equal(row.measure_id, 1);
});

test('coupons, bills, orders, resources, pricing, for a customer', async () => {
  const e = emu.current;
  const client = e.client();
  const a = await newCustomer(client, 'coup-a');
  const issued = await client.createPartnerCoupons({
    quota_id: e.seed.quota_id, customer_ids: [a, e.seed.consulting_customer_id], face_value: '50.25',
    cloud_service_types: ['hws.service.type.ec2'],
  });
  assert.equal(issued.coupon_infos.length, 1);
  assert.equal(issued.error_details[0].error_code, 'CBC.99000014');
  const coupons = await client.listIssuedPartnerCoupons({ customer_id: a });
  assert.equal(coupons.total_count, 1);
  assert.equal(coupons.user_coupons[0].face_value, '50.25');

  const customer = client.forCustomer(e.info.agency_name, { customerId: e.seed.resale_customer_id });
  const sum = await customer.showCustomerMonthlySum({ bill_cycle: lastMonth() });
  assert.ok(sum.total_count >= 1 && typeof sum.consume_amount === 'string');
  const view = await client.listSubcustomerMonthlyBills({ customer_id: e.seed.resale_customer_id, cycle: lastMonth(), charge_mode: '1' });
  assert.equal(view.count, 1);
  assert.equal(view.bill_sums[0].amount, '129.60', 'trailing zeros kept: exact');

  const orders = await customer.listCustomerOrders();
  assert.ok(orders.total_count >= 2);
  const detail = await customer.showCustomerOrderDetails({ order_id: e.seed.paid_order_id });
  assert.equal(detail.order_info.order_id, e.seed.paid_order_id);
  await customer.autoRenewalResources({ resource_id: e.seed.server_resource_id });
  await customer.cancelAutoRenewalResources({ resource_id: e.seed.server_resource_id });

  const rating = await client.listOnDemandResourceRatings({
    project_id: 'p1',
    product_infos: [{ id: '1', cloud_service_type: 'hws.service.type.ec2', resource_type: 'hws.resource.type.vm',
      resource_spec: 's6.large.2.linux', region: 'cn-north-4', usage_factor: 'Duration', usage_value: 10,
      usage_measure_id: 4, subscription_num: 2 }],
  });
  assert.equal(rating.amount, '8'); // 0.40/h x 10 h x 2
  assert.ok((await client.listServiceTypes()).service_types.length > 0);
});

test('costs, enterprise, free resources, IAM, indirect partners, products, system', async () => {
  const e = emu.current;
  const client = e.client();
  const customer = client.forCustomer(e.info.agency_name, { customerId: e.seed.resale_customer_id });
  const costs = await customer.listCustomerBillsMonthlyBreakDown({ shared_month: lastMonth() });
  assert.equal(costs.details[0].resource_id, e.seed.server_resource_id);
  const subs = await customer.listEnterpriseSubCustomers();
  assert.equal(subs.sub_customer_infos[0].id, e.seed.sub_account_id);
  const free = await customer.listFreeResourceInfos();
  assert.ok(free.free_resource_packages.length >= 1);
  const domains = await client.keystoneListAuthDomains();
  assert.equal(domains.domains[0].id, e.info.domain_id);
  const partners = await client.listIndirectPartners();
  assert.equal(partners.indirect_partners[0].indirect_partner_id, e.seed.reseller_id);
  const units = await client.listMeasureUnits();
  assert.equal(units.measure_units.find((u) => u.measure_id === 1).abbreviation, 'CNY');
  const provinces = await client.listProvinces();
  assert.ok(provinces.provinces.some((p) => p.name === 'Beijing'));
});

test('200 calls in flight at once on one client', async () => {
  const client = emu.current.client();
  const created = await Promise.all(
    Array.from({ length: 200 }, (_, i) => client.createSubCustomer({ xaccount_id: `many-${i}`, xaccount_type: XTYPE, domain_name: `js_many_${i}` })),
  );
  const ids = new Set(created.map((c) => c.domain_id));
  assert.equal(ids.size, 200);
  const reads = await Promise.all(Array.from({ length: 200 }, () => client.listSubCustomers({ limit: 1 })));
  assert.ok(reads.every((r) => r.count >= 200));
  assert.equal((await emu.current.stats()).create_sub_customer.applied, 200);
});

test('pagination across pages: for await, toArray, pages, break', async () => {
  const client = emu.current.client();
  for (let i = 0; i < 7; i++) await newCustomer(client, `page-${i}`);
  const total = (await client.listSubCustomers({ limit: 100 })).count;
  assert.ok(total >= 9);
  const before = await emu.current.sent('list_sub_customers');
  const seen = [];
  for await (const c of client.paginate('listSubCustomers', { limit: 3 })) seen.push(c.customer_id);
  assert.equal(seen.length, total);
  assert.equal(new Set(seen).size, total, 'no item twice');
  assert.ok((await emu.current.sent('list_sub_customers')) - before >= 3, 'three or more pages');
  const all = await client.paginate('list_sub_customers', { limit: 4 }).toArray();
  assert.deepEqual(all.map((c) => c.customer_id), seen);
  const pages = await client.pages('listSubCustomers', { limit: 4 }).toArray();
  assert.equal(pages.length, Math.ceil(total / 4));
  assert.ok(pages.every((p) => Array.isArray(p.customer_infos)));
  const pager = client.paginate('listSubCustomers', { limit: 2 });
  let n = 0;
  for await (const _ of pager) if (++n === 3) break;
  assert.equal(n, 3);
  assert.equal((await pager.toArray()).length, total, 'iterating again starts again');
  assert.throws(() => client.paginate('showCustomerAccountBalances'), hcp.InvalidArgumentError);
});

test('ids and integers beyond 2^53 are never rounded', async (t) => {
  // A service answer with integers JS numbers cannot hold (the emulator has none to give).
  const body = '{"count": 9007199254740993, "customer_infos": [{"customer_id": "c1", "customer_type": -9007199254740995}]}';
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end(body));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const endpoint = `http://127.0.0.1:${server.address().port}`;
  for (const numbers of ['strings', 'numbers']) {
    const client = new hcp.Client({ endpoint, numbers, credentials: hcp.akSk('a', 'b', { domainId: 'd' }) });
    const page = await client.listSubCustomers({ limit: 10 });
    assert.equal(page.count, '9007199254740993', numbers);
    assert.equal(page.customer_infos[0].customer_type, '-9007199254740995', numbers);
  }
  // A bigint sent where the API takes an integer keeps its digits (refused by value, not rounded).
  const client = emu.current.client();
  await assert.rejects(client.listSubCustomers({ limit: 9007199254740993n }), (e) => {
    assert.ok(e instanceof hcp.InvalidArgumentError && e.field === 'limit');
    assert.match(e.message, /9007199254740993/);
    return true;
  });
});
