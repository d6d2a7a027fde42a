// The benchmark's baseline: the least a server can do for the same work, with
// the same SQLite settings. It inserts a response and its search entry in one
// durable transaction, and renders the 20 newest published responses with
// React's renderToString. Everything the portal adds is measured against it.
import { createServer } from 'node:http'
import { renderToString } from 'react-dom/server'
import { openSqlite } from '../../db/connection.ts'

const [file, portArg] = process.argv.slice(2)
const sqlite = openSqlite(file!)
sqlite.exec(`create table if not exists comments (id integer primary key, status text not null, submitted_at text not null, author text, body text not null);
  create index if not exists comments_status_submitted on comments (status, submitted_at);
  create virtual table if not exists comments_fts using fts5(body, tokenize = 'unicode61 remove_diacritics 2');`)
const insert = sqlite.prepare(
  "insert into comments (status, submitted_at, author, body) values ('received', ?, ?, ?)",
)
const insertFts = sqlite.prepare('insert into comments_fts (rowid, body) values (?, ?)')
const save = sqlite.transaction((author: string, body: string) => {
  const { lastInsertRowid } = insert.run(new Date().toISOString(), author, body)
  insertFts.run(lastInsertRowid, body)
})
const newest = sqlite.prepare(
  "select id, submitted_at, author, body from comments where status = 'published' order by submitted_at desc limit 20",
)

function Page({
  rows,
}: {
  rows: { id: number; submitted_at: string; author: string | null; body: string }[]
}) {
  return (
    <html lang="en">
      <body>
        <h1>Published responses</h1>
        <ol>
          {rows.map((r) => (
            <li key={r.id}>
              <h2>{r.author ?? 'Anonymous'}</h2>
              <p>{r.submitted_at}</p>
              <p>{r.body}</p>
            </li>
          ))}
        </ol>
      </body>
    </html>
  )
}

const server = createServer((req, res) => {
  if (req.method === 'POST') {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString())
      save(form.get('author') ?? '', form.get('body') ?? '')
      res.writeHead(303, { Location: '/' })
      res.end()
    })
    return
  }
  const html = `<!doctype html>${renderToString(<Page rows={newest.all() as never} />)}`
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
  res.end(html)
})
server.listen(Number(portArg), '127.0.0.1', () => console.log('baseline ready'))
