export { readInventory, sniffInventory, type InventoryEntry, type InventoryReadOptions, type InventoryStats } from './inventory-reader.js';
export { parseListingTime, type DateOrder } from './listing-time.js';
