/**
 * The error codes the API answers with, the HTTP status each comes with, and when. The errors guide shows this
 * table; test/site/examples.test.ts checks it names every code server/errors.ts knows, and that each error example
 * answers the code and status given here.
 */
export interface ErrorCodeDoc {
  code: string;
  /** The HTTP status of the response that carries it. */
  status: string;
  /** The status the error examples are checked against. */
  exampleStatus?: number;
  when: string;
  /** The same, in Traditional Chinese. */
  zh: { status: string; when: string };
}

export const ERROR_CODES: readonly ErrorCodeDoc[] = [
  { code: "BAD_USER_INPUT", status: "200; 400 when a variable cannot be coerced to its type", exampleStatus: 200, when: "An argument or input field is invalid (`extensions.field` names it: `input.budget.currency`, `filter.maxFollowers`, `after`…), a page size is over the maximum, a cursor is bad, or a collaboration may not move to the status asked (with `extensions.allowedNextStatuses`).", zh: { status: "200；變數無法轉換成宣告的型別時為 400", when: "引數或輸入欄位無效（`extensions.field` 指出是哪一個：`input.budget.currency`、`filter.maxFollowers`、`after`…）、分頁大小超過上限、游標錯誤，或合作狀態不能轉移到所要求的狀態（附 `extensions.allowedNextStatuses`）。" } },
  { code: "UNAUTHENTICATED", status: "200", exampleStatus: 200, when: "No API key, or a malformed, unknown or revoked one; the message says which.", zh: { status: "200", when: "沒有 API 金鑰，或金鑰格式錯誤、不存在或已撤銷；錯誤訊息會說明是哪一種。" } },
  { code: "FORBIDDEN", status: "200", when: "The key's role may not do this: mutations need `MANAGER` or `ADMIN`, API keys and the audit log need `ADMIN`.", zh: { status: "200", when: "金鑰的角色沒有這項權限：變更需要 `MANAGER` 或 `ADMIN`，管理 API 金鑰與查閱稽核紀錄需要 `ADMIN`。" } },
  { code: "NOT_FOUND", status: "200; 404 for a path other than `/graphql`", exampleStatus: 200, when: "No such id, or it belongs to another organization (the two answer alike).", zh: { status: "200；`/graphql` 以外的路徑為 404", when: "沒有這個 id，或它屬於其他組織（兩者的回應完全相同）。" } },
  { code: "CONFLICT", status: "200", when: "A duplicate: the influencer is already in the campaign, the promo code is in use.", zh: { status: "200", when: "資料重複：創作者已在該行銷活動中、優惠碼已被使用。" } },
  { code: "QUERY_TOO_DEEP", status: "400", exampleStatus: 400, when: "The operation nests deeper than `MAX_QUERY_DEPTH`; `extensions.maxDepth` gives the limit. Nothing runs.", zh: { status: "400", when: "操作的巢狀深度超過 `MAX_QUERY_DEPTH`；`extensions.maxDepth` 為上限。不會執行任何內容。" } },
  { code: "TOO_MANY_ALIASES", status: "400", when: "The operation uses more aliases than `MAX_ALIASES`; `extensions.maxAliases` gives the limit. Nothing runs.", zh: { status: "400", when: "操作使用的別名超過 `MAX_ALIASES`；`extensions.maxAliases` 為上限。不會執行任何內容。" } },
  { code: "QUERY_TOO_COSTLY", status: "400", when: "The operation's estimated cost is over `MAX_QUERY_COST`, it has more fields and fragments than `MAX_QUERY_NODES`, or its cost alone is over the key's per-minute cost budget; the extensions give the limit and the cost. Nothing runs.", zh: { status: "400", when: "操作的預估成本超過 `MAX_QUERY_COST`、欄位與片段數超過 `MAX_QUERY_NODES`，或單次成本就超過金鑰每分鐘的成本額度；extensions 會列出上限與成本。不會執行任何內容。" } },
  { code: "RATE_LIMITED", status: "429, with a `Retry-After` header", when: "The key's per-minute budget of requests or of query cost is spent (or, without a valid key, the client address's); `extensions.retryAfterSeconds` says when to retry.", zh: { status: "429，附 `Retry-After` 標頭", when: "金鑰每分鐘的請求數或查詢成本額度已用完（沒有有效金鑰時，以用戶端位址計算）；`extensions.retryAfterSeconds` 指出何時可以重試。" } },
  { code: "DATABASE_BUSY", status: "503, with a `Retry-After` header (200 when part of the data came back)", when: "Another process (a second server, an import, `npm run keys`) held the database's write lock longer than `DATABASE_BUSY_TIMEOUT_MS`. Nothing was written; `extensions.retryable` is true: retry after `extensions.retryAfterSeconds`.", zh: { status: "503，附 `Retry-After` 標頭（有部分資料傳回時為 200）", when: "另一個程序（第二個伺服器、匯入、`npm run keys`）佔用資料庫寫入鎖的時間超過 `DATABASE_BUSY_TIMEOUT_MS`。沒有寫入任何資料；`extensions.retryable` 為 true：請在 `extensions.retryAfterSeconds` 秒後重試。" } },
  { code: "STORAGE_FULL", status: "507 (200 when part of the data came back)", when: "The server's disk is full. Nothing was written; reads still work, and writes succeed again once the operator frees space.", zh: { status: "507（有部分資料傳回時為 200）", when: "伺服器的磁碟已滿。沒有寫入任何資料；讀取仍然正常，維運人員釋出空間後寫入即恢復。" } },
  { code: "DATABASE_READ_ONLY", status: "503 (200 when part of the data came back)", when: "The server may not write its database file (a read-only file or filesystem). Nothing was written; reads still work.", zh: { status: "503（有部分資料傳回時為 200）", when: "伺服器無法寫入資料庫檔案（唯讀的檔案或檔案系統）。沒有寫入任何資料；讀取仍然正常。" } },
  { code: "STORAGE_ERROR", status: "503 (200 when part of the data came back)", when: "The operating system reported a disk I/O error on the database; the operator must check the disk.", zh: { status: "503（有部分資料傳回時為 200）", when: "作業系統回報資料庫的磁碟 I/O 錯誤；維運人員必須檢查磁碟。" } },
  { code: "GRAPHQL_PARSE_FAILED", status: "400", when: "The document is not valid GraphQL syntax.", zh: { status: "400", when: "文件不符合 GraphQL 語法。" } },
  { code: "GRAPHQL_VALIDATION_FAILED", status: "400", when: "The document asks for a field, argument or type the schema does not have, or for an operation type it does not offer (there are no subscriptions).", zh: { status: "400", when: "文件要求了結構描述中沒有的欄位、引數或型別，或是不提供的操作類型（本 API 沒有 subscription）。" } },
  { code: "BAD_REQUEST", status: "400; 413 for a body over `BODY_LIMIT_BYTES`", when: "The HTTP request is not a GraphQL request: not JSON, no `query`, a GET without a preflight header (CSRF prevention), a body too large, or more than 50 invalid variable values.", zh: { status: "400；請求主體超過 `BODY_LIMIT_BYTES` 時為 413", when: "HTTP 請求不是有效的 GraphQL 請求：不是 JSON、沒有 `query`、未帶預檢標頭的 GET（CSRF 防護）、主體過大，或無效的變數值超過 50 個。" } },
  { code: "OPERATION_RESOLUTION_FAILURE", status: "400", when: "`operationName` names no operation of the document, or a document with several operations has none named.", zh: { status: "400", when: "`operationName` 指定的操作不在文件中，或文件含有多個操作卻沒有指定名稱。" } },
  { code: "PERSISTED_QUERY_NOT_FOUND", status: "200", when: "An automatic persisted query was sent by its hash alone and the server does not have it yet: send it again with the `query`.", zh: { status: "200", when: "只以雜湊值送出自動持久化查詢（APQ），而伺服器尚未存有該查詢：請連同 `query` 再送一次。" } },
  { code: "PERSISTED_QUERY_NOT_SUPPORTED", status: "400", when: "Persisted queries are switched off. This server keeps them on, so it does not answer this code today; the error formatter lets it through should that change.", zh: { status: "400", when: "持久化查詢功能已關閉。本伺服器保持開啟，因此目前不會回應這個代碼；若日後關閉，錯誤格式化程式會照樣傳回。" } },
  { code: "INTERNAL_SERVER_ERROR", status: "200 for a failure inside the operation; 500 outside it", when: "A bug. The message is masked (“Internal server error.”) and no stack trace is sent outside development.", zh: { status: "操作內部失敗時為 200；操作之外為 500", when: "程式錯誤。訊息會被遮蔽（「Internal server error.」），且除開發模式外不會傳回堆疊追蹤。" } },
];
