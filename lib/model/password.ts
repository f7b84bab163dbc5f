/** A password with an id; the id is written into the seal so the right password unseals it (rotation). Ids match /^\w+$/. */
export interface IronPassword {
  id: string;
  secret: string;
}
