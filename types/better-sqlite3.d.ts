// The few parts of better-sqlite3 (a dependency of @effect/sql-sqlite-node, shipped without
// types) that the tests and the benchmark use to read and prepare databases.
declare module "better-sqlite3" {
  namespace BetterSqlite3 {
    interface RunResult {
      readonly changes: number
      readonly lastInsertRowid: number | bigint
    }
    interface Statement {
      all(...params: ReadonlyArray<unknown>): Array<unknown>
      get(...params: ReadonlyArray<unknown>): unknown
      run(...params: ReadonlyArray<unknown>): RunResult
      pluck(toggle?: boolean): Statement
    }
    interface Options {
      readonly readonly?: boolean
      readonly fileMustExist?: boolean
      readonly timeout?: number
    }
    interface Database {
      prepare(source: string): Statement
      exec(source: string): Database
      pragma(source: string, options?: { readonly simple?: boolean }): unknown
      close(): Database
    }
  }
  interface BetterSqlite3Constructor {
    new (filename: string, options?: BetterSqlite3.Options): BetterSqlite3.Database
  }
  const BetterSqlite3: BetterSqlite3Constructor
  export = BetterSqlite3
}
