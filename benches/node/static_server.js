'use strict';
// The bench's static server: answers any request (any path, any method) with one fixed,
// realistic ListSubCustomers body, over HTTP/1.1 keep-alive, on 127.0.0.1. Prints its port.

const http = require('node:http');

const customers = Array.from({ length: 10 }, (_, i) => ({
  customer: `Customer ${i}`,
  account_name: `hcp_bench_${i}`,
  customer_id: `5d9e1f0a7b3c4e2d8f6a1b0c9d8e7f${String(i).padStart(2, '0')}`,
  associated_on: '2024-05-01T08:00:00Z',
  association_type: i % 2 ? '1' : '2',
  label: null,
  telephone: null,
  verified_status: '2',
  country_code: 'CN',
  customer_type: 0,
  is_frozen: 0,
  account_managers: [{ account_name: 'manager_a' }],
  xaccount_id: `bench-${i}`,
  xaccount_type: 'hcp_demo_IDP',
  customer_level: 'C',
}));
const BODY = Buffer.from(JSON.stringify({ customer_infos: customers, count: 10 }));

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, {
      'Content-Type': 'application/json;charset=UTF-8',
      'Content-Length': BODY.length,
      'X-Request-Id': '0123456789abcdef0123456789abcdef',
    });
    res.end(BODY);
  });
});
server.keepAliveTimeout = 60_000;
server.maxRequestsPerSocket = 0;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port, bytes: BODY.length })}\n`);
});
// Ends with its parent (the bench closes our stdin).
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
