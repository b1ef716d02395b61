// The tests wait the way the scripts do: polling a condition with a deadline, no fixed sleeps.
export { holdsWithin, waitFor } from '../../scripts/lib/wait.js'
