// Stands in for the `debug` package inside the bundle: oclif's internal DEBUG=oclif:* logging is
// of no use to tix users, and initialising `debug` costs ~2.5 ms on every command (see README).
function createDebug() {
  const log = () => {}
  log.enabled = false
  log.extend = createDebug
  return log
}
createDebug.enable = () => {}
createDebug.disable = () => ''
createDebug.enabled = () => false
createDebug.default = createDebug
module.exports = createDebug
