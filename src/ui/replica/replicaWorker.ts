/** The replica worker (one per tab): sql.js and the page's read-only copy, off the page's thread. */
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import { createReplicaHost, serveReplica } from './replicaHost.ts';
import type { ReplicaPort } from './replicaProtocol.ts';

let sqlJs: Promise<SqlJsStatic> | null = null;
serveReplica(
  self as unknown as ReplicaPort,
  createReplicaHost({
    sqlJs: () => {
      sqlJs ??= initSqlJs({ locateFile: () => wasmUrl });
      return sqlJs;
    },
  }),
);
