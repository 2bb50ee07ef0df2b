fn main() {
    keyrack::start();
}
