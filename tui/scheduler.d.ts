// The part of React's scheduler (a dependency of Ink and of React's reconciler) the key router uses.
declare module 'scheduler' {
  export const unstable_IdlePriority: number
  export function unstable_scheduleCallback(priority: number, callback: () => void): unknown
}
