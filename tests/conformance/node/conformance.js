'use strict';
/*
 * PortOne's official Node.js V1 client (iamport-rest-client-nodejs), unmodified, against a
 * PortOne V1 API: the standalone sandbox in ../test_node_client.py.
 *
 *   node conformance.js BASE_URL KEY SECRET PAID_IMP_UID OTHER_PAID_IMP_UID ESCROW_IMP_UID
 *     CASH_IMP_UID
 *
 * BASE_URL, KEY and SECRET may come from SANDBOX_URL, SANDBOX_IMP_KEY and SANDBOX_IMP_SECRET
 * instead (an empty argument keeps the variable). The imp_uids are payments already paid. The
 * first two, card payments of at least 10,000 won: the first is looked up, refused a cash
 * receipt, partly cancelled and its balance read; the second is cancelled in full by its
 * merchant_uid. ESCROW_IMP_UID, an escrow payment with a PG that takes shipping (KG이니시스):
 * its shipping is registered and changed. CASH_IMP_UID, a bank transfer (trans) without escrow:
 * its cash receipt is issued, read and cancelled, and escrow shipping is refused for it.
 *
 * Prints one JSON line per call: {call, method, args, ok, status, data, error}. `data` is what
 * the client resolved with (its Item, List or Collection, whose timestamps it made Dates, here
 * ISO strings) or, when it rejected, the body it rejected with. The client rejects a code
 * other than 0 under HTTP 200 without a status, so `status` is null then.
 */

const { Iamport, Request } = require('iamport-rest-client-nodejs');

const UNKNOWN_IMP_UID = 'imp_000000000000';
const DAY = 24 * 60 * 60;

function settings(argv, env) {
  const [url, key, secret, paid, other, escrow, cash] = argv;
  const found = {
    // The client joins paths to its base URL with a slash of its own.
    url: (url || env.SANDBOX_URL || '').replace(/\/+$/, ''),
    key: key || env.SANDBOX_IMP_KEY,
    secret: secret || env.SANDBOX_IMP_SECRET,
    paid,
    other,
    escrow,
    cash,
  };
  const missing = Object.keys(found).filter((name) => !found[name]);
  if (missing.length) {
    throw new Error(
      `missing ${missing.join(', ')}: node conformance.js BASE_URL KEY SECRET PAID_IMP_UID` +
        ' OTHER_PAID_IMP_UID ESCROW_IMP_UID CASH_IMP_UID'
    );
  }
  return found;
}

async function call(iamport, label, method, args) {
  const [group, name] = method.split('.');
  const line = { call: label, method, args };
  try {
    const response = await Request[group][name](args).request(iamport);
    Object.assign(line, { ok: true, status: response.status, data: response.data, error: null });
  } catch (error) {
    const response = (error && error.response) || {};
    Object.assign(line, {
      ok: false,
      status: response.status === undefined ? null : response.status,
      data: response.data === undefined ? null : response.data,
      error: (error && error.message) || null,
    });
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
  return line;
}

async function main() {
  const { url, key, secret, paid, other, escrow, cash } = settings(
    process.argv.slice(2),
    process.env
  );
  const iamport = new Iamport({ apiKey: key, apiSecret: secret, baseUrl: url });
  const run = `node_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const now = Math.floor(Date.now() / 1000);

  // Tokens
  await call(iamport, 'token', 'Authenticate.getToken', { imp_key: key, imp_secret: secret });
  await call(iamport, 'token-wrong-secret', 'Authenticate.getToken', {
    imp_key: key,
    imp_secret: `${secret}-wrong`,
  });
  const stranger = new Iamport({ apiKey: key, apiSecret: `${secret}-wrong`, baseUrl: url });
  await call(stranger, 'lookup-with-wrong-secret', 'Payments.getByImpUid', { imp_uid: paid });

  // Lookups of paid payments
  const found = await call(iamport, 'payment-by-imp_uid', 'Payments.getByImpUid', {
    imp_uid: paid,
  });
  const merchantUid = found.ok ? found.data.response.merchant_uid : `${run}_unknown`;
  const otherFound = await call(iamport, 'other-payment-by-imp_uid', 'Payments.getByImpUid', {
    imp_uid: other,
  });
  const otherMerchantUid = otherFound.ok ? otherFound.data.response.merchant_uid : null;
  await call(iamport, 'payment-by-merchant_uid', 'Payments.getByMerchantUid', {
    merchant_uid: merchantUid,
    status: 'paid',
    sorting: '-started',
  });
  await call(iamport, 'payment-by-merchant_uid-without-status', 'Payments.getByMerchantUid', {
    merchant_uid: merchantUid,
  });
  await call(iamport, 'payments-by-imp_uids', 'Payments.getByImpUids', {
    imp_uid: [paid, other, UNKNOWN_IMP_UID],
  });
  await call(iamport, 'payments-by-merchant_uids', 'Payments.getByMerchantUids', {
    merchant_uid: merchantUid,
    status: 'paid',
    page: 1,
    sorting: '-started',
  });
  await call(iamport, 'payments-by-status', 'Payments.getByStatus', {
    status: 'paid',
    page: 1,
    limit: 20,
    sorting: '-paid',
  });

  // Not found
  await call(iamport, 'unknown-imp_uid', 'Payments.getByImpUid', { imp_uid: UNKNOWN_IMP_UID });
  await call(iamport, 'unknown-merchant_uid', 'Payments.getByMerchantUid', {
    merchant_uid: `${run}_unknown`,
    status: 'paid',
  });
  await call(iamport, 'balance-of-unknown', 'Payments.getAmountByImpUid', {
    imp_uid: UNKNOWN_IMP_UID,
  });

  // Prepare
  const prepared = `${run}_prepared`;
  await call(iamport, 'prepare', 'Prepare.postAmount', { merchant_uid: prepared, amount: 1004 });
  await call(iamport, 'get-prepared', 'Prepare.getAmount', { merchant_uid: prepared });
  await call(iamport, 'prepare-again', 'Prepare.postAmount', {
    merchant_uid: prepared,
    amount: 2000,
  });
  await call(iamport, 'get-unprepared', 'Prepare.getAmount', { merchant_uid: `${run}_unknown` });

  await escrowShipping(iamport, { escrow, cash, now });
  await cashReceipts(iamport, { paid, cash, run });

  // Cancels: partial ones of the first payment, a full one of the other by its merchant_uid
  await call(iamport, 'cancel-wrong-checksum', 'Payments.cancel', {
    imp_uid: paid,
    amount: 1000,
    checksum: 1,
    reason: '체크섬 불일치',
  });
  const partial = await call(iamport, 'cancel-partial', 'Payments.cancel', {
    imp_uid: paid,
    amount: 3000,
    checksum: found.ok ? found.data.response.amount : null,
    reason: '부분 환불',
  });
  await call(iamport, 'cancel-over-remainder', 'Payments.cancel', {
    imp_uid: paid,
    amount: 10000000,
    reason: '남은 금액 초과',
  });
  await call(iamport, 'cancel-partial-again', 'Payments.cancel', {
    imp_uid: paid,
    amount: 2000,
    checksum: partial.ok ? found.data.response.amount - 3000 : null,
    reason: '두 번째 부분 환불',
  });
  await call(iamport, 'balance', 'Payments.getAmountByImpUid', { imp_uid: paid });
  await call(iamport, 'cancel-full-by-merchant_uid', 'Payments.cancel', {
    merchant_uid: otherMerchantUid,
    reason: '고객 변심',
  });
  await call(iamport, 'cancel-full-again', 'Payments.cancel', {
    imp_uid: other,
    reason: '또',
  });
  await call(iamport, 'cancel-unknown', 'Payments.cancel', {
    imp_uid: UNKNOWN_IMP_UID,
    reason: '없는 결제',
  });

  // Virtual accounts
  const issued = await call(iamport, 'vbank-issue', 'Vbanks.post', {
    merchant_uid: `${run}_vbank`,
    amount: 12000,
    vbank_code: '088',
    vbank_due: now + DAY,
    vbank_holder: '노드 테스트 상점',
    name: '노드 주문',
  });
  const account = issued.ok ? issued.data.response.imp_uid : UNKNOWN_IMP_UID;
  await call(iamport, 'vbank-change', 'Vbanks.put', {
    imp_uid: account,
    amount: 13000,
    vbank_due: now + 2 * DAY,
  });
  await call(iamport, 'vbank-lookup', 'Payments.getByImpUid', { imp_uid: account });
  await call(iamport, 'vbank-change-unknown', 'Vbanks.put', {
    imp_uid: UNKNOWN_IMP_UID,
    amount: 13000,
  });
  await call(iamport, 'vbank-holder', 'Vbanks.getHolder', {
    bank_code: '088',
    bank_num: '110-123-456789',
  });
  await call(iamport, 'vbank-holder-missing', 'Vbanks.getHolder', {
    bank_code: '088',
    bank_num: '1234560000',
  });
  await call(iamport, 'vbank-revoke', 'Vbanks.delete', { imp_uid: account });
  await call(iamport, 'vbank-revoke-again', 'Vbanks.delete', { imp_uid: account });
}

// Escrow shipping (Escrows: POST and PUT /escrows/logis/{imp_uid}; the client has no GET)
async function escrowShipping(iamport, { escrow, cash, now }) {
  const sender = {
    name: '노드 상점',
    tel: '02-1234-5678',
    addr: '서울시 중구 세종대로 110',
    postcode: '04524',
  };
  const receiver = {
    name: '홍길동',
    tel: '010-1234-5678',
    addr: '서울시 종로구 사직로 161',
    postcode: '03045',
  };
  const logis = { company: 'CJGLS', invoice: '123456789012', sent_at: now };
  const shipping = { sender, receiver, logis };
  const changed = { company: 'HANJIN', invoice: '998877665544', sent_at: now + 60 };

  await call(iamport, 'escrow-change-unregistered', 'Escrows.putEscrow', {
    imp_uid: escrow,
    ...shipping,
  });
  await call(iamport, 'escrow-register-without-sender', 'Escrows.postEscrow', {
    imp_uid: escrow,
    receiver,
    logis,
  });
  await call(iamport, 'escrow-register', 'Escrows.postEscrow', { imp_uid: escrow, ...shipping });
  await call(iamport, 'escrow-register-again', 'Escrows.postEscrow', {
    imp_uid: escrow,
    ...shipping,
  });
  await call(iamport, 'escrow-change', 'Escrows.putEscrow', {
    imp_uid: escrow,
    ...shipping,
    logis: changed,
  });
  await call(iamport, 'escrow-register-not-escrow', 'Escrows.postEscrow', {
    imp_uid: cash,
    ...shipping,
  });
  await call(iamport, 'escrow-register-unknown', 'Escrows.postEscrow', {
    imp_uid: UNKNOWN_IMP_UID,
    ...shipping,
  });
  await call(iamport, 'escrow-change-unknown', 'Escrows.putEscrow', {
    imp_uid: UNKNOWN_IMP_UID,
    ...shipping,
  });
}

// Cash receipts: of a payment (Receipts) and of cash taken elsewhere (External)
async function cashReceipts(iamport, { paid, cash, run }) {
  const holder = {
    identifier: '01012345678',
    identifier_type: 'phone',
    type: 'person',
    buyer_name: '홍길동',
    buyer_email: 'gildong@example.com',
    buyer_tel: '010-1234-5678',
  };

  await call(iamport, 'receipt-before-issue', 'Receipts.getReceipt', { imp_uid: cash });
  await call(iamport, 'receipt-revoke-never-issued', 'Receipts.deleteReceipt', { imp_uid: cash });
  await call(iamport, 'receipt-issue', 'Receipts.postReceipt', {
    imp_uid: cash,
    ...holder,
    tax_free: 1000,
  });
  await call(iamport, 'receipt-issue-again', 'Receipts.postReceipt', { imp_uid: cash, ...holder });
  await call(iamport, 'receipt-lookup', 'Receipts.getReceipt', { imp_uid: cash });
  await call(iamport, 'cash-payment-with-receipt', 'Payments.getByImpUid', { imp_uid: cash });
  await call(iamport, 'receipt-revoke', 'Receipts.deleteReceipt', { imp_uid: cash });
  await call(iamport, 'receipt-revoke-again', 'Receipts.deleteReceipt', { imp_uid: cash });
  await call(iamport, 'receipt-lookup-revoked', 'Receipts.getReceipt', { imp_uid: cash });
  await call(iamport, 'cash-payment-after-revoke', 'Payments.getByImpUid', { imp_uid: cash });
  await call(iamport, 'receipt-issue-card', 'Receipts.postReceipt', { imp_uid: paid, ...holder });
  await call(iamport, 'receipt-issue-unknown', 'Receipts.postReceipt', {
    imp_uid: UNKNOWN_IMP_UID,
    ...holder,
  });
  await call(iamport, 'receipt-of-unknown', 'Receipts.getReceipt', { imp_uid: UNKNOWN_IMP_UID });

  const external = `${run}_cash`;
  await call(iamport, 'external-receipt-issue', 'External.postReceipt', {
    merchant_uid: external,
    name: '노드 현장 판매',
    amount: 5500,
    ...holder,
    type: 'company',
    identifier_type: 'business',
    identifier: '1234567890',
    pg: 'html5_inicis',
  });
  await call(iamport, 'external-receipt-issue-again', 'External.postReceipt', {
    merchant_uid: external,
    name: '노드 현장 판매',
    amount: 5500,
    ...holder,
  });
  await call(iamport, 'external-receipt-issue-without-name', 'External.postReceipt', {
    merchant_uid: `${run}_nameless`,
    amount: 5500,
    ...holder,
  });
  await call(iamport, 'external-receipt-lookup', 'External.getReceipt', { merchant_uid: external });
  await call(iamport, 'external-receipt-revoke', 'External.deleteReceipt', {
    merchant_uid: external,
  });
  await call(iamport, 'external-receipt-lookup-revoked', 'External.getReceipt', {
    merchant_uid: external,
  });
  await call(iamport, 'external-receipt-of-unknown', 'External.getReceipt', {
    merchant_uid: `${run}_unknown`,
  });
  await call(iamport, 'external-receipt-revoke-unknown', 'External.deleteReceipt', {
    merchant_uid: `${run}_unknown`,
  });
}

main().catch((error) => {
  process.stderr.write(`${(error && error.stack) || error}\n`);
  process.exit(1);
});
