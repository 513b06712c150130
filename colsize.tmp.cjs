const Database = require('better-sqlite3');
const db = new Database(process.argv[2], { readonly: true });
const sq = require('sqlite-vec'); sq.load(db);
const t0=Date.now();
console.log(db.prepare(`SELECT count(*) n, sum(length(text)) text, sum(length(hash)) hash, sum(length(context)) ctx, sum(length(symbol)) sym, sum(length(kind)) kind FROM chunks`).get());
console.log(db.prepare(`SELECT count(*) n, sum(length(name)) name FROM definitions`).get());
console.log(db.prepare(`SELECT context FROM chunks LIMIT 5 OFFSET 100000`).all());
console.log(db.prepare(`SELECT name, sum(pgsize)/1048576.0 mib FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 20`).all());
console.log(Date.now()-t0);
