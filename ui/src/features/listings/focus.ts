/** The prefix of a focus key naming one of the enterprise's own listings (the inbox opens
 *  them by it, without loading the listings page's code). */
export const MINE = "mine:";
