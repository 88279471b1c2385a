// One locale for every number, so that figures read the same on every machine.
const numbers = new Intl.NumberFormat('en');

export const formatCount = (n) => numbers.format(n);
export const formatRate = (r) => `${(r * 100).toFixed(2)}%`;
/** "1 campaign", "20 campaigns". */
export const countOf = (n, noun) => `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
